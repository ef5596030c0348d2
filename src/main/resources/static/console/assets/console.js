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
  // the reply box's dropzone: a file dropped on it becomes the file input's file
  function dropzone(zone) {
    if (zone.hasAttribute("data-ready")) {
      return;
    }
    zone.setAttribute("data-ready", "");
    var input = zone.querySelector('input[type="file"]');
    var name = zone.querySelector("[data-dropzone-name]");
    if (!input) {
      return;
    }
    function show() {
      if (name) {
        name.textContent = input.files && input.files.length ? "Attached: " + input.files[0].name : "";
      }
    }
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("over");
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("over");
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("over");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
  }
  // the template picker: only the chosen template's parameters are shown and sent
  function templatePicker(select) {
    if (select.hasAttribute("data-ready")) {
      return;
    }
    select.setAttribute("data-ready", "");
    function pick() {
      document.querySelectorAll(".template-params").forEach(function (group) {
        var chosen = group.getAttribute("data-template") === select.value;
        group.hidden = !chosen;
        group.querySelectorAll("input").forEach(function (input) {
          input.disabled = !chosen;
        });
      });
    }
    select.addEventListener("change", pick);
    pick();
  }
  function init() {
    document.querySelectorAll("[data-dropzone]").forEach(dropzone);
    var select = document.getElementById("template");
    if (select) {
      templatePicker(select);
    }
  }
  function showNewest() {
    var messages = document.getElementById("messages");
    if (messages && messages.lastElementChild) {
      messages.lastElementChild.scrollIntoView({ block: "end" });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init();
      showNewest();
    });
  } else {
    init();
    showNewest();
  }
  // content htmx swapped in (the reply box when the window opened or closed, the re-read messages)
  document.addEventListener("htmx:afterSettle", function (event) {
    init();
    if (event.target && event.target.id === "messages") {
      showNewest();
    }
  });
})();
