/* Progressive enhancement only: show <time data-local> values in the reader's locale and time zone.
   Without scripts the server's UTC text stays, so every page works as it is. */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) { return; }
  var full = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  var day = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  function localise(el) {
    var value = el.getAttribute("datetime");
    var date = new Date(el.getAttribute("data-local") === "date" ? value + "T00:00:00Z" : value);
    if (isNaN(date.getTime())) { return; }
    if (el.getAttribute("data-local") === "date") {
      el.textContent = day.format(date);
    } else {
      el.textContent = full.format(date);
      if (zone) { el.title = zone; }
    }
  }
  function localiseAll(root) {
    var nodes = root.querySelectorAll("time[data-local]");
    for (var i = 0; i < nodes.length; i++) { localise(nodes[i]); }
  }
  localiseAll(document);
  // Parts loaded later (the comment area) localise their times with this.
  window.tickerwireLocalise = localiseAll;
})();
