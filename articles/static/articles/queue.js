// My claims from the keyboard: j/k move the current row, Enter opens its review, ? shows
// the keys. The rows are looked up on every key press and after every htmx swap, so a
// filtered or paged list needs no re-binding. Links and forms work without this script.
(function () {
  "use strict";

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("#queue tr.queue-row"));
  }

  function currentIndex(all) {
    for (var i = 0; i < all.length; i++) {
      if (all[i].classList.contains("current")) return i;
    }
    return -1;
  }

  function makeCurrent(all, index) {
    all.forEach(function (row, i) {
      row.classList.toggle("current", i === index);
      row.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (all[index]) all[index].scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = rows();
    if (!all.length) return;
    var next = Math.min(Math.max(currentIndex(all) + step, 0), all.length - 1);
    makeCurrent(all, next);
  }

  function openCurrent() {
    var all = rows();
    var row = all[currentIndex(all)];
    var link = row && row.querySelector("a.review-link");
    if (!link) return false;
    window.location.assign(link.href);
    return true;
  }

  function help() {
    return document.getElementById("queue-keys");
  }

  function typing(target) {
    return target.closest && target.closest("input, select, textarea, [contenteditable]") !== null;
  }

  // The first row is current on load and after a swap brings new rows.
  function startAtTop() {
    var all = rows();
    if (all.length && currentIndex(all) === -1) makeCurrent(all, 0);
  }

  document.addEventListener("keydown", function (event) {
    // Shift is allowed: "?" needs it on most layouts.
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (typing(event.target) || !help()) return;
    if (event.key === "?") {
      help().hidden = !help().hidden;
    } else if (event.key === "Escape" && !help().hidden) {
      help().hidden = true;
    } else if (event.key === "j") {
      move(1);
    } else if (event.key === "k") {
      move(-1);
    } else if (event.key === "Enter" && !event.target.closest("a, button, summary")) {
      // A focused link or button keeps its own Enter.
      if (!openCurrent()) return;
    } else {
      return;
    }
    event.preventDefault();
  });

  document.addEventListener("htmx:afterSettle", startAtTop);

  document.addEventListener("DOMContentLoaded", function () {
    if (!help()) return;
    document.querySelectorAll(".keys-hint").forEach(function (hint) {
      hint.hidden = false;
    });
    startAtTop();
  });
})();
