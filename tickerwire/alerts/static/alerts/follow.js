/* Replace each signed-in reader's follow link with the follow/unfollow button in its current state,
   fetched from an uncached address (the page itself may be shared and carries no CSRF token). */
(function () {
  "use strict";
  var slots = document.querySelectorAll("[data-follow-fragment]");
  Array.prototype.forEach.call(slots, function (slot) {
    fetch(slot.getAttribute("data-follow-fragment"), { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var button = holder.firstElementChild;
        if (button) { slot.replaceWith(button); }
      })
      .catch(function () { /* the plain link stays */ });
  });
})();
