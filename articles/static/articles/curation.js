// Curation on the article page: show a claim in the text and back, add a claim from a
// selection, split at the caret. Every action is a plain form that works without this
// script; the script only fills hidden fields and highlights. Event delegation on the
// document, so content swapped in by htmx needs no re-binding.
(function () {
  "use strict";

  // Python counts code points, JavaScript UTF-16 units: convert before sending offsets.
  function codePoints(text) {
    return Array.from(text).length;
  }

  function marksOf(claimId) {
    return document.querySelectorAll('#article-text mark[data-claims~="' + claimId + '"]');
  }

  function showInText(claimId) {
    document.querySelectorAll("#article-text mark.active").forEach(function (m) {
      m.classList.remove("active");
    });
    document.querySelectorAll(".claim.active").forEach(function (li) {
      li.classList.remove("active");
    });
    var marks = marksOf(claimId);
    marks.forEach(function (m) {
      m.classList.add("active");
    });
    var item = document.getElementById("claim-" + claimId);
    if (item) item.classList.add("active");
    if (marks.length) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
  }

  function showInList(claimId) {
    var item = document.getElementById("claim-" + claimId);
    if (!item) return;
    showInText(claimId);
    item.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    // The claim's number in the list, or a click on its text: highlight it in the article.
    var number = target.closest(".claim a.number");
    if (number) {
      event.preventDefault();
      showInText(number.closest(".claim").dataset.claim);
      return;
    }
    var ref = target.closest("#article-text a.ref");
    if (ref) {
      event.preventDefault();
      showInList(ref.getAttribute("href").replace("#claim-", ""));
      return;
    }
    var text = target.closest(".claim .claim-text");
    if (text && !target.closest("a, input, button")) {
      showInText(text.closest(".claim").dataset.claim);
      return;
    }
    var mark = target.closest("#article-text mark");
    if (mark && window.getSelection().isCollapsed) {
      var first = mark.dataset.claims.split(" ")[0];
      showInText(first);
    }
  });

  // --- add a claim from a selection -------------------------------------------------

  function segmentLength(seg) {
    return codePoints(seg.textContent);
  }

  // Body offsets [start, end) of the current selection inside #article-text, or null.
  function selectionOffsets() {
    var sel = window.getSelection();
    var container = document.getElementById("article-text");
    if (!sel || sel.isCollapsed || !container || sel.rangeCount === 0) return null;
    var range = sel.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return null;
    var segments = Array.prototype.filter.call(container.querySelectorAll("[data-o]"), function (seg) {
      return sel.containsNode(seg, true);
    });
    if (!segments.length) return null;
    var first = segments[0];
    var last = segments[segments.length - 1];
    var start = Number(first.dataset.o);
    if (first.contains(range.startContainer) && range.startContainer.nodeType === Node.TEXT_NODE) {
      start += codePoints(range.startContainer.textContent.slice(0, range.startOffset));
    }
    var end = Number(last.dataset.o) + segmentLength(last);
    if (last.contains(range.endContainer) && range.endContainer.nodeType === Node.TEXT_NODE) {
      end = Number(last.dataset.o) + codePoints(range.endContainer.textContent.slice(0, range.endOffset));
    }
    return end > start ? [start, end] : null;
  }

  // The last selection in the text stays ready to add until another one replaces it:
  // clicking the button must not lose it.
  function updateSelectionForm() {
    var form = document.getElementById("add-claim");
    if (!form) return;
    form.querySelector(".selection-hint").hidden = false;
    var offsets = selectionOffsets();
    if (!offsets) return;
    var button = form.querySelector(".add-selection");
    form.elements.start.value = offsets[0];
    form.elements.end.value = offsets[1];
    var preview = window.getSelection().toString().replace(/\s+/g, " ").trim();
    if (preview.length > 60) preview = preview.slice(0, 57) + "…";
    button.textContent = "Add “" + preview + "” as a claim";
    button.disabled = false;
  }

  document.addEventListener("selectionchange", updateSelectionForm);
  document.addEventListener("htmx:afterSettle", updateSelectionForm);
  document.addEventListener("DOMContentLoaded", updateSelectionForm);

  // Pasted-text submissions must not carry stale offsets.
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (form.id === "add-claim" && event.submitter && !event.submitter.classList.contains("add-selection")) {
        form.elements.start.value = "";
        form.elements.end.value = "";
      }
      if (form.classList.contains("split-claim")) {
        var source = form.querySelector(".split-source");
        var caret = source.selectionStart;
        var at = codePoints(source.value.slice(0, caret));
        form.elements.at.value = caret > 0 && caret < source.value.length && !form.elements.before.value ? at : "";
      }
    },
    true
  );

  // Arriving with #text-<id> or #claim-<id> in the address highlights that claim.
  document.addEventListener("DOMContentLoaded", function () {
    var match = /^#(?:text|claim)-(\d+)$/.exec(window.location.hash);
    if (match) showInText(match[1]);
  });
})();
