// Proof of work for the public forms: find a nonce so that SHA-256(challenge ":" nonce) starts with the number of
// zero bits the server asked for. Starts as soon as the page loads, so it is usually done before the person has
// finished writing. SubtleCrypto where the page is a secure context (https, or http on localhost), else the small
// SHA-256 below.
(function () {
  'use strict';

  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2];

  function sha256(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var length = bytes.length, padded = ((length + 72) >> 6) << 6, bits = length * 8;
    var m = new Uint8Array(padded), w = new Int32Array(64), i;
    m.set(bytes);
    m[length] = 0x80;
    m[padded - 4] = bits >>> 24; m[padded - 3] = (bits >>> 16) & 255; m[padded - 2] = (bits >>> 8) & 255; m[padded - 1] = bits & 255;
    for (var offset = 0; offset < padded; offset += 64) {
      for (i = 0; i < 16; i++) {
        var j = offset + i * 4;
        w[i] = (m[j] << 24) | (m[j + 1] << 16) | (m[j + 2] << 8) | m[j + 3];
      }
      for (i = 16; i < 64; i++) {
        var x = w[i - 15], y = w[i - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (i = 0; i < 64; i++) {
        var t1 = (k + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    var out = new Uint8Array(32);
    for (i = 0; i < 8; i++) {
      out[i * 4] = h[i] >>> 24; out[i * 4 + 1] = (h[i] >>> 16) & 255; out[i * 4 + 2] = (h[i] >>> 8) & 255; out[i * 4 + 3] = h[i] & 255;
    }
    return out;
  }

  var encoder = new TextEncoder();
  var subtle = window.isSecureContext && window.crypto && window.crypto.subtle;
  var digest = subtle
    ? function (text) { return subtle.digest('SHA-256', encoder.encode(text)).then(function (buffer) { return new Uint8Array(buffer); }); }
    : function (text) { return Promise.resolve(sha256(encoder.encode(text))); };

  function zeroBits(hash) {
    var count = 0;
    for (var i = 0; i < hash.length; i++) {
      if (hash[i] === 0) { count += 8; continue; }
      for (var bit = 0x80; (hash[i] & bit) === 0; bit >>= 1) { count++; }
      break;
    }
    return count;
  }

  // Tries nonces in batches (SubtleCrypto is asynchronous; a batch keeps it busy without freezing the page).
  function solve(token, difficulty) {
    return new Promise(function (resolve) {
      var next = 0;
      function batch() {
        var start = next, tries = [];
        next += 256;
        for (var n = start; n < next; n++) { tries.push(digest(token + ':' + n)); }
        Promise.all(tries).then(function (hashes) {
          for (var i = 0; i < hashes.length; i++) {
            if (zeroBits(hashes[i]) >= difficulty) { resolve(String(start + i)); return; }
          }
          setTimeout(batch, 0);
        });
      }
      batch();
    });
  }

  window.PortalHelp = { sha256: sha256, zeroBits: zeroBits };

  var form = document.querySelector('form[data-pow-form]');
  var tokenInput = form && form.querySelector('[data-pow-token]');
  if (!tokenInput) { return; }
  var nonceInput = form.querySelector('[data-pow-nonce]');
  var status = form.querySelector('[data-pow-status]');
  var waiting = false;

  form.addEventListener('submit', function (event) {
    if (!nonceInput.value) {
      event.preventDefault();
      waiting = true;
      if (status) { status.textContent = status.getAttribute('data-waiting'); }
    } else {
      var button = form.querySelector('button[type=submit]');
      if (button) { setTimeout(function () { button.disabled = true; }, 0); } // no second post of the same form
    }
  });

  solve(tokenInput.value, parseInt(tokenInput.getAttribute('data-pow-difficulty'), 10) || 0).then(function (nonce) {
    nonceInput.value = nonce;
    form.setAttribute('data-pow-solved', '');
    if (waiting) {
      if (status) { status.textContent = ''; }
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });
})();
