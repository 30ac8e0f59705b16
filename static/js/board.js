/* The pipeline board: drag a card to another column to move the candidacy. On drop the card's
   own move form (the no-JavaScript path) is filled with the new stage and submitted, so htmx
   posts it with the CSRF token and swaps in the board the server answers with. */
(function () {
  "use strict";

  function moveOnDrop(event) {
    var card = event.item;
    var stage = event.to.dataset.stage;
    if (event.from === event.to) {
      return;
    }
    var form = card.querySelector("[data-move-form]");
    form.elements.stage.value = stage;
    if (form.elements.stage.value !== stage) {
      return;  // not a stage this card can move to
    }
    card.setAttribute("aria-busy", "true");
    form.requestSubmit();
  }

  function initBoard(root) {
    var lists = root.querySelectorAll(".board-cards[data-drop-target]");
    lists.forEach(function (list) {
      if (list.dataset.sortable) {
        return;
      }
      list.dataset.sortable = "on";
      Sortable.create(list, {
        group: "board",
        sort: false,
        draggable: "[data-draggable]",
        filter: "select, input, button, summary, label, textarea",
        preventOnFilter: false,
        delay: 150,
        delayOnTouchOnly: true,
        forceFallback: true,
        fallbackOnBody: true,
        ghostClass: "board-ghost",
        emptyInsertThreshold: 40,
        onEnd: moveOnDrop,
      });
    });
  }

  if (window.htmx) {
    htmx.onLoad(initBoard);  // the first page and every board htmx swaps in
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      initBoard(document);
    });
  }
})();
