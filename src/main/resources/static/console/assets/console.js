// The console's only script of its own (the Content-Security-Policy allows no inline script): htmx requests carry
// the CSRF token, and a few small behaviours that htmx does not cover.
(function () {
  "use strict";
  function meta(name) {
    var element = document.querySelector('meta[name="' + name + '"]');
    return element ? element.getAttribute("content") : null;
  }
  document.addEventListener("htmx:configRequest", function (event) {
    var header = meta("csrf-header");
    var token = meta("csrf-token");
    if (header && token) {
      event.detail.headers[header] = token;
    }
  });
  // copy buttons: <button data-copy="#id">
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) {
      return;
    }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (source && navigator.clipboard) {
      navigator.clipboard.writeText(source.textContent.trim());
      button.textContent = "Copied";
    }
  });
})();
