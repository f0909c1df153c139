// Progressive enhancement only: every form works without this file.
// A form marked data-busy shows its message and blocks a second submit while the server
// works (checking or applying a large spreadsheet takes a few seconds).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-busy")) return;
  if (form.getAttribute("aria-busy") === "true") {
    event.preventDefault();
    return;
  }
  form.setAttribute("aria-busy", "true");
  var status = form.querySelector("[data-busy-status]");
  if (status) status.textContent = form.getAttribute("data-busy");
  var buttons = form.querySelectorAll("button[type=submit]");
  for (var i = 0; i < buttons.length; i++) buttons[i].classList.add("busy");
});

// A refused form's page offers the way back: the browser brings the form back with what was
// typed in it. Without this file the hint names the browser's own Back button.
(function () {
  var back = document.querySelector("[data-back]");
  if (!back || window.history.length < 2) return;
  back.hidden = false;
  back.addEventListener("click", function () { window.history.back(); });
})();
