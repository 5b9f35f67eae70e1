// Public help pages: the quick exit, and links that replace the current history entry instead of adding one.
// A static file (no inline script), so the pages can forbid every script but their own.
(function () {
  'use strict';

  function leave(url) {
    // Blank the page at once, then replace this history entry: Back will not return here.
    document.title = '';
    if (document.body) { document.body.textContent = ''; }
    location.replace(url);
  }

  function exitLink() { return document.querySelector('a[data-quick-exit]'); }

  document.addEventListener('click', function (event) {
    var link = event.target && event.target.closest ? event.target.closest('a') : null;
    if (!link) { return; }
    if (link.hasAttribute('data-quick-exit')) {
      event.preventDefault();
      leave(link.href);
    } else if (link.hasAttribute('data-replace') && event.button === 0 && !event.ctrlKey && !event.metaKey && !event.shiftKey && !event.altKey) {
      // Moving between the public pages keeps a single entry in the history.
      event.preventDefault();
      location.replace(link.href);
    }
  });

  // Escape twice in quick succession also leaves (for keyboards; the button is the main way).
  var lastEscape = 0;
  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') { return; }
    var now = Date.now();
    var link = exitLink();
    if (now - lastEscape < 1000 && link) { leave(link.href); }
    lastEscape = now;
  });

  // A refused form: keyboard and screen-reader users start at the list of problems, whose links lead to the fields.
  var problems = document.querySelector('[data-testid=form-errors]');
  if (problems) {
    problems.setAttribute('tabindex', '-1');
    problems.focus();
  }

  // The person's thread: emptied when the page is left, so that no back-forward snapshot shows it; a page restored
  // from that cache goes back to the empty check form.
  window.addEventListener('pagehide', function () {
    var parts = document.querySelectorAll('[data-private]');
    for (var i = 0; i < parts.length; i++) { parts[i].textContent = ''; }
  });
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && document.querySelector('[data-private]')) { location.replace(location.pathname); }
  });

  // From here on the quick exit and Escape leave no history entry behind.
  document.documentElement.setAttribute('data-help-ready', '');
})();
