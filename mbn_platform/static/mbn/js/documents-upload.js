/* (The form has an input named "action": its address is read with getAttribute.)
   The document libraries' upload forms ([data-upload]): sent with XMLHttpRequest so that a
   <progress> bar shows how much is sent; the answer (JSON, asked with Accept) is where to go next,
   or the error (quota, type, size) read out in the form's status line. Without JavaScript the
   form posts as it is and the page answers with the errors beside the field. */
(function () {
  "use strict";
  document.querySelectorAll("form[data-upload]").forEach(function (form) {
    var box = form.querySelector(".upload-progress");
    var bar = box ? box.querySelector("progress") : null;
    var status = form.querySelector(".upload-status");
    var button = form.querySelector("button[type=submit]");
    form.addEventListener("submit", function (event) {
      var input = form.querySelector("input[type=file]");
      if (!input || !input.files.length || !bar) { return; }
      event.preventDefault();
      var request = new XMLHttpRequest();
      request.open("POST", form.getAttribute("action") || window.location.href);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((100 * progress.loaded) / progress.total);
          bar.value = percent;
          bar.textContent = percent + " %";
        }
      });
      request.addEventListener("load", function () {
        var answer = null;
        try { answer = JSON.parse(request.responseText); } catch (error) { answer = null; }
        if (request.status < 400 && answer && answer.redirect) {
          status.textContent = form.dataset.sentText;
          window.location.assign(answer.redirect);
          return;
        }
        box.hidden = true;
        button.disabled = false;
        status.textContent = answer && answer.error ? answer.error.message : form.dataset.failedText;
        status.classList.add("error");
      });
      request.addEventListener("error", function () {
        box.hidden = true;
        button.disabled = false;
        status.textContent = form.dataset.failedText;
        status.classList.add("error");
      });
      bar.value = 0;
      box.hidden = false;
      button.disabled = true;
      status.textContent = "";
      status.classList.remove("error");
      request.send(new FormData(form));
    });
  });
})();
