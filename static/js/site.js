/*
 * What every page does with script; every page works without it (progressive enhancement).
 *
 * 1. The site menu on small screens: without this script the whole menu is always shown,
 *    and the "Menu" button stays hidden.
 *
 * base.html has
 *   <button class="menu-toggle" aria-expanded="false" aria-controls="site-menu" data-menu-toggle hidden>
 *   <div class="site-menu" id="site-menu">…</div>
 * The script is loaded in <head> without `defer` (CSP allows no inline code): it marks
 * <html> with .js-enabled at once, so the stylesheet can fold the menu away on small
 * screens before the first paint, then wires the button when the document is parsed.
 * Whether the menu is folded is read from aria-expanded only; at desktop widths the
 * stylesheet hides the button and always shows the menu.
 *
 * 2. The error summary (templates/components/form_errors.html): focus moves to it when a
 *    form comes back with errors, so a screen reader reads the problems first; its links
 *    move focus to the field and scroll the field's label into view with it.
 */
(function () {
  "use strict";

  document.documentElement.classList.add("js-enabled");

  function setUpMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    var menu = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (!menu) {
      return;
    }

    function isOpen() {
      return toggle.getAttribute("aria-expanded") === "true";
    }

    function setOpen(open) {
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }

    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      setOpen(!isOpen());
    });

    // Escape closes the open menu from anywhere inside it and gives focus back to the button.
    document.addEventListener("keydown", function (event) {
      var inside = menu.contains(document.activeElement) || document.activeElement === toggle;
      if (event.key === "Escape" && isOpen() && inside) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  function setUpErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
      var label = document.querySelector("label[for='" + field.id + "']") || legend;
      (label || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  function setUp() {
    setUpMenu();
    setUpErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
