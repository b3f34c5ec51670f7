/* The register's "Everyone present" button: marks every student present (the teacher then
   marks the few absent or late ones) and clears the minutes late. Without JavaScript the button
   stays hidden and every student starts present anyway on a new register. */
(function () {
  "use strict";
  document.querySelectorAll("[data-all-present]").forEach(function (button) {
    var form = button.closest("form");
    button.hidden = false;
    button.addEventListener("click", function () {
      form.querySelectorAll('input[type=radio][value="present"]').forEach(function (radio) {
        radio.checked = true;
      });
      form.querySelectorAll('input[type=number][name^="late-"]').forEach(function (input) {
        input.value = "";
      });
      var first = form.querySelector('input[type=radio][value="present"]');
      if (first) { first.focus(); }
    });
  });
})();
