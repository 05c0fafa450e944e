// The web chat's one script (no framework): sends the forms without reloading, shows new
// messages as they come (server-sent events, or polling where they do not work), and keeps the
// focus where the citizen expects it. Without it the page works the same, by reloading.
"use strict";
(function () {
  var log = document.getElementById("log");
  var controls = document.getElementById("controls");
  if (!log || !controls || !window.fetch || !window.FormData) { return; }
  var list = log.querySelector(".messages");
  var busy = false;
  var over = false;  // the conversation ended (erased): the page stays as it is
  var events = null;
  var drawn = null;  // the controls last drawn, as the server sent them

  function newId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function fromHtml(html) {
    var box = document.createElement("template");
    box.innerHTML = html.trim();
    return box.content;
  }

  function refresh(after) {
    if (over) { return Promise.resolve(); }
    return fetch("/part", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (part) {
        if (!part.messages || over) { return; }  // no session any more: nothing to draw
        if (part.ended) {  // erased: the page itself shows the last words and ends the session
          over = true;
          if (events) { events.close(); }
          window.location.hash = "now";
          window.location.reload();
          return;
        }
        var known = {};
        list.querySelectorAll("[data-key]").forEach(function (li) { known[li.getAttribute("data-key")] = li; });
        part.messages.forEach(function (m) {
          var fresh = fromHtml(m.html).firstElementChild;
          var old = known[m.key];
          if (!old) { list.appendChild(fresh); }
          else if (old.innerHTML !== fresh.innerHTML) { old.innerHTML = fresh.innerHTML; }
        });
        var intro = log.querySelector(".intro");
        if (intro && part.messages.length) { intro.remove(); }
        var start = document.querySelector("form.start");
        if (start && part.messages.length) { start.remove(); }
        if (part.controls === drawn) { return; }  // the same question: leave focus and typing alone
        drawn = part.controls;
        var active = document.activeElement;
        var inside = active && controls.contains(active);
        var typing = inside && active.id === "message";
        var typed = typing ? active.value : null;
        var pressed = inside && active.name === "choice" ? active.value : null;
        controls.innerHTML = "";
        controls.appendChild(fromHtml(part.controls));
        prepare();
        document.documentElement.lang = part.lang;
        document.documentElement.dir = part.dir;
        var field = document.getElementById("message");
        var same = pressed && controls.querySelector('button[name=choice][value="' + pressed.replace(/["\\]/g, "") + '"]');
        if (typing && field) { field.value = typed; field.focus(); }
        else if (same) { same.focus(); }  // a toggle of a multi question: the button stays in focus
        else if (inside || after === "choice") {
          var first = controls.querySelector(".options button") || field;
          if (first) { first.focus(); }
        }
      });
  }

  function submit(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var mid = form.querySelector("input[name=mid]");
    if (!mid || !mid.value) { data.set("mid", newId()); }
    if (mid) { mid.value = newId(); }  // the next message is another one; a retry of this one keeps its id
    busy = true;
    var sent = function () {
      return fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Mitwirken-Fetch": "1" } });
    };
    sent().then(function (r) {
      if (r.status !== 204) { form.submit(); return; }
      var field = form.querySelector("#message");
      if (field) { field.value = ""; }
      return refresh(submitter && submitter.name === "choice" ? "choice" : "text");
    }).catch(function () {
      // the answer may have arrived: the same message id makes a second try harmless
      return sent().then(function () { return refresh("text"); }, function () { form.submit(); });
    }).then(function () { busy = false; });
  }

  function prepare() {
    controls.querySelectorAll("form").forEach(function (form) {
      var mid = form.querySelector("input[name=mid]");
      if (mid) { mid.value = newId(); }
      if (form.enctype === "multipart/form-data") { return; }  // a photo: the page reloads
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        submit(form, event.submitter);
      });
    });
    var locate = document.getElementById("locate");
    var locateForm = document.getElementById("locate-form");
    if (locate && locateForm && navigator.geolocation) {
      locateForm.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (where) {
          locateForm.querySelector("input[name=latitude]").value = where.coords.latitude;
          locateForm.querySelector("input[name=longitude]").value = where.coords.longitude;
          submit(locateForm, null);
        });
      });
    }
  }

  prepare();
  if (window.EventSource) {
    events = new EventSource("/events");
    events.addEventListener("change", function () { if (!busy) { refresh("event"); } });
  } else {
    window.setInterval(function () { if (!busy) { refresh("event"); } }, 4000);
  }
}());
