/* The comment area, progressively enhanced. Without scripts every link and form works as a page of its own.
   With them: a signed-in reader's own area (likes, reply, edit) is fetched in place of the shared copy the
   cached article page carries; sorting and "Show More Comments" load in place; forms post in the background
   and the area is redrawn from the server's answer. */
(function () {
  "use strict";
  var area = document.getElementById("comment-area");
  if (!area || !window.fetch) { return; }
  var FRAGMENT = { "X-Tickerwire-Fragment": "1" };

  function signedIn() { return /(?:^|;\s*)tw_reader=1(?:;|$)/.test(document.cookie); }

  function swap(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.querySelector("#comment-area");
    if (!fresh) { return; }
    area.replaceWith(fresh);
    area = fresh;
    if (window.tickerwireLocalise) { window.tickerwireLocalise(area); }
    bind();
    var count = area.getAttribute("data-comment-count");
    var heading = document.querySelector("#comments-heading .count");
    if (count !== null && heading) { heading.textContent = "(" + count + ")"; }
  }

  function load(url) {
    var sep = url.indexOf("?") < 0 ? "?" : "&";
    return fetch(url + sep + "fragment=area", { credentials: "same-origin", headers: FRAGMENT })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(swap);
  }

  function bind() {
    var links = area.querySelectorAll("[data-sort-link]");
    for (var i = 0; i < links.length; i++) {
      links[i].addEventListener("click", function (event) {
        event.preventDefault();
        load(this.getAttribute("href"));
      });
    }
    var more = area.querySelectorAll("[data-show-more]");
    for (var j = 0; j < more.length; j++) { bindMore(more[j]); }
    var forms = area.querySelectorAll("form[data-comment-write]");
    for (var k = 0; k < forms.length; k++) { bindForm(forms[k]); }
  }

  function bindMore(link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var item = link.closest("li");
      link.setAttribute("aria-busy", "true");
      fetch(link.getAttribute("href") + "&fragment=items", { credentials: "same-origin", headers: FRAGMENT })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var list = item.parentNode;
          var holder = document.createElement("ol");
          holder.innerHTML = html;
          item.remove();
          if (window.tickerwireLocalise) { window.tickerwireLocalise(holder); }
          while (holder.firstElementChild) {
            var child = holder.firstElementChild;
            list.appendChild(child);
            var next = child.querySelector("[data-show-more]");
            if (next) { bindMore(next); }
            var forms = child.querySelectorAll("form[data-comment-write]");
            for (var k = 0; k < forms.length; k++) { bindForm(forms[k]); }
          }
        })
        .catch(function () { window.location.href = link.getAttribute("href"); });
    });
  }

  function bindForm(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.getAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) { return; }
      var button = form.querySelector("button");
      if (button) { button.disabled = true; }
      var url = form.getAttribute("action") + "?sort=" + encodeURIComponent(area.getAttribute("data-sort") || "");
      fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: FRAGMENT })
        .then(function (r) { return r.text(); })
        .then(swap)
        .catch(function () { form.submit(); });
    });
  }

  bind();
  if (area.getAttribute("data-public") === "1" && signedIn()) {
    load(area.getAttribute("data-thread-url"));
  }
})();
