// The public forms' proof of work: starts help/pow-worker.js as soon as the page opens, so the answer is usually
// found while the person writes. A press on the button before that shows the progress in the button, in the page's
// language, and the form sends itself when the answer is found. Without Web Workers, or if the worker fails, the
// form is sent without an answer, as it is without JavaScript (the server then accepts it only at normal load).
(function () {
  'use strict';

  var form = document.querySelector('form[data-pow-form]');
  var token = form && form.querySelector('[data-pow-token]');
  if (!token) { return; }
  var answer = form.querySelector('[data-pow-nonce]');
  var button = form.querySelector('button[type=submit]');
  var label = button.querySelector('[data-pow-label]') || button;
  var status = form.querySelector('[data-pow-status]');
  var progressLabel = token.getAttribute('data-pow-progress');
  var percent = new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'percent' });
  var progress = 0, waiting = false, sent = false, failed = !window.Worker;

  function showProgress() {
    label.textContent = progressLabel.replace('{0}', percent.format(progress));
    button.style.setProperty('--progress', Math.round(progress * 100) + '%');
  }

  function wait() {
    waiting = true;
    button.setAttribute('aria-disabled', 'true');
    if (status) { status.textContent = token.getAttribute('data-pow-preparing'); }
    showProgress();
  }

  function send() {
    sent = true;
    label.textContent = token.getAttribute('data-pow-sending');
    button.setAttribute('aria-disabled', 'true');
    if (status) { status.textContent = label.textContent; }
    HTMLFormElement.prototype.submit.call(form);
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    if (sent || waiting) { return; }
    if (answer.value || failed) { send(); } else { wait(); }
  });

  if (answer.value) {
    form.setAttribute('data-pow-solved', '');
    return;
  }

  function giveUp() {
    failed = true;
    if (waiting) { send(); }
  }

  var worker;
  try {
    worker = new Worker(token.getAttribute('data-pow-worker'));
  } catch (e) {
    giveUp();
    return;
  }
  worker.onerror = giveUp;
  worker.onmessage = function (event) {
    var message = event.data;
    if (message.failed) { worker.terminate(); giveUp(); return; }
    if (message.answers === undefined) {
      progress = message.progress;
      if (waiting) { showProgress(); }
      return;
    }
    worker.terminate();
    answer.value = message.answers;
    form.setAttribute('data-pow-solved', '');
    form.setAttribute('data-pow-tries', message.tries);
    if (waiting) { send(); }
  };
  form.setAttribute('data-pow-running', '');
  worker.postMessage({
    salt: token.getAttribute('data-pow-salt'),
    targets: token.getAttribute('data-pow-targets').split(' '),
    max: parseInt(token.getAttribute('data-pow-max'), 10)
  });

  // Refused because the challenge had to be renewed: the person already pressed Send once.
  if (form.hasAttribute('data-pow-send')) { wait(); }
})();
