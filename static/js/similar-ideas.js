/*
 * Similar ideas while writing (progressive enhancement: the idea form works without it).
 *
 * The form contains
 *   <div id="similar-ideas" aria-live="polite" data-similar-url="/ideas/similar/"
 *        [data-similar-exclude="<pk of the idea being edited>"]></div>
 * As #id_title and #id_problem are typed, this script asks the server for ideas that
 * look alike and puts the returned HTML fragment in that region. Loaded with
 * <script src="..." defer> under a strict Content Security Policy: no inline code.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;
  var MIN_CHARACTERS = 8;
  var MAX_SENT_CHARACTERS = 1000;

  var region = document.getElementById("similar-ideas");
  var title = document.getElementById("id_title");
  var problem = document.getElementById("id_problem");
  if (!region || !region.dataset.similarUrl || (!title && !problem)) {
    return;
  }
  if (!window.fetch || !window.URL || !window.DOMParser) {
    return;
  }

  var timer = null;
  var controller = null;
  var lastQuery = null;
  var shownHtml = null;

  function valueOf(field) {
    return field ? field.value.trim() : "";
  }

  function replaceContent(html) {
    var parsed = new DOMParser().parseFromString(html, "text/html");
    var fragment = document.createDocumentFragment();
    while (parsed.body.firstChild) {
      fragment.appendChild(document.adoptNode(parsed.body.firstChild));
    }
    region.replaceChildren(fragment);
  }

  function update() {
    var titleText = valueOf(title);
    var problemText = valueOf(problem);
    if (titleText.length + problemText.length < MIN_CHARACTERS) {
      if (controller) {
        controller.abort();
        controller = null;
        region.removeAttribute("aria-busy");
      }
      lastQuery = null;
      if (shownHtml !== "") {
        shownHtml = "";
        region.replaceChildren();
      }
      return;
    }
    var url = new URL(region.dataset.similarUrl, window.location.href);
    url.searchParams.set("title", titleText.slice(0, MAX_SENT_CHARACTERS));
    url.searchParams.set("problem", problemText.slice(0, MAX_SENT_CHARACTERS));
    if (region.dataset.similarExclude) {
      url.searchParams.set("exclude", region.dataset.similarExclude);
    }
    var query = url.toString();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (controller) {
      controller.abort();
    }
    controller = new AbortController();
    var ownController = controller;
    region.setAttribute("aria-busy", "true");
    fetch(query, {
      credentials: "same-origin",
      headers: { Accept: "text/html", "X-Requested-With": "XMLHttpRequest" },
      signal: ownController.signal,
    })
      .then(function (response) {
        // A redirect means the session ended (login page): keep what is shown.
        if (!response.ok || response.redirected) {
          throw new Error("similar ideas: " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        if (ownController !== controller) {
          return;
        }
        // Only touch the live region when the content changes, so screen readers
        // do not announce the same suggestions again after every keystroke.
        if (html !== shownHtml) {
          shownHtml = html;
          replaceContent(html);
        }
      })
      .catch(function () {
        if (ownController === controller) {
          lastQuery = null;
        }
      })
      .finally(function () {
        if (ownController === controller) {
          region.removeAttribute("aria-busy");
          controller = null;
        }
      });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, DEBOUNCE_MS);
  }

  [title, problem].forEach(function (field) {
    if (field) {
      field.addEventListener("input", schedule);
    }
  });
})();
