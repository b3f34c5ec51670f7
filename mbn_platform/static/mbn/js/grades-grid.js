/* The teacher's grade grid: the arrow keys (up, down) and Enter move between the cells, as in a
   spreadsheet; a column pasted in a cell (lines of a spreadsheet's column) fills that cell and
   the ones below it. Without JavaScript the grid is an ordinary form. */
(function () {
  "use strict";
  document.querySelectorAll("[data-grade-grid]").forEach(function (grid) {
    var cells = Array.prototype.slice.call(grid.querySelectorAll("input[type=text]"));
    function move(from, step) {
      var next = cells[cells.indexOf(from) + step];
      if (next) { next.focus(); next.select(); }
    }
    cells.forEach(function (cell) {
      cell.addEventListener("keydown", function (event) {
        if (event.key === "ArrowDown" || (event.key === "Enter" && !event.shiftKey)) {
          event.preventDefault(); move(cell, 1);
        } else if (event.key === "ArrowUp" || (event.key === "Enter" && event.shiftKey)) {
          event.preventDefault(); move(cell, -1);
        }
      });
      cell.addEventListener("paste", function (event) {
        var text = (event.clipboardData || window.clipboardData).getData("text");
        var lines = text.replace(/\r/g, "").split("\n");
        if (lines.length && lines[lines.length - 1] === "") { lines.pop(); }
        if (lines.length < 2) { return; }
        event.preventDefault();
        var start = cells.indexOf(cell);
        lines.forEach(function (line, i) {
          var target = cells[start + i];
          if (target) { target.value = line.split("\t")[0].trim(); }
        });
        var last = cells[Math.min(start + lines.length - 1, cells.length - 1)];
        last.focus();
      });
    });
  });
})();
