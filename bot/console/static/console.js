// The console's only script: it opens the conversation at its newest
// message, and picking a standard answer fills the reply box, so the
// collector can read and adjust it before sending. The page works without
// it (the server sends the picked answer when the box is empty). Nothing
// here ever inserts HTML.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var conversation = document.getElementById("conversation");
  if (conversation) {
    conversation.scrollTop = conversation.scrollHeight;
  }
  var canned = document.getElementById("canned");
  var text = document.getElementById("reply-text");
  if (!canned || !text) {
    return;
  }
  canned.addEventListener("change", function () {
    var opt = canned.options[canned.selectedIndex];
    var t = opt && opt.getAttribute("data-text");
    if (t) {
      text.value = t;
      text.focus();
    }
  });
});
