// Print every dropdown open: a browser prints a closed <details> closed.
// Restores the reader's choice afterwards.
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (el) {
      el.setAttribute("open", "");
      opened.push(el);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.removeAttribute("open"); });
    opened = [];
  });
})();
