// The proof of work of the public forms, in a Web Worker so the page stays responsive while it runs. For each
// puzzle i the server chose a secret number below max and sent SHA-256(salt ":" i ":" number); the worker tries
// 0, 1, 2 ... until the hash matches. Each try is one SHA-256 block, written here without allocations (SubtleCrypto
// answers asynchronously, one call per try, and is many times slower at this).
(function () {
  'use strict';

  var K = new Int32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  var IV = new Int32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  var w = new Int32Array(64);
  var bytes = new Uint8Array(64);

  var mid = new Int32Array(8);
  var fixed = 0;

  // The words of the prefix (the 32-character salt: 8 words) never change within a puzzle, so neither do the rounds
  // that read only them. They are run once per puzzle into `mid`; each try runs the others.
  function prepare(prefixLength) {
    var i;
    fixed = Math.min(8, prefixLength >> 2);
    for (i = 0; i < fixed; i++) {
      w[i] = (bytes[i * 4] << 24) | (bytes[i * 4 + 1] << 16) | (bytes[i * 4 + 2] << 8) | bytes[i * 4 + 3];
    }
    var a = IV[0], b = IV[1], c = IV[2], d = IV[3], e = IV[4], f = IV[5], g = IV[6], h = IV[7];
    for (i = 0; i < fixed; i++) {
      var t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    mid[0] = a; mid[1] = b; mid[2] = c; mid[3] = d; mid[4] = e; mid[5] = f; mid[6] = g; mid[7] = h;
  }

  // SHA-256 of the message laid out (and padded) in `bytes`, from `mid`: true when it equals `target`.
  function matches(target) {
    var i;
    for (i = fixed; i < 16; i++) {
      w[i] = (bytes[i * 4] << 24) | (bytes[i * 4 + 1] << 16) | (bytes[i * 4 + 2] << 8) | bytes[i * 4 + 3];
    }
    for (i = 16; i < 64; i++) {
      var x = w[i - 15], y = w[i - 2];
      w[i] = (w[i - 16] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + w[i - 7]
        + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10))) | 0;
    }
    var a = mid[0], b = mid[1], c = mid[2], d = mid[3], e = mid[4], f = mid[5], g = mid[6], h = mid[7];
    for (i = fixed; i < 64; i++) {
      var t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      var t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    return ((IV[0] + a) | 0) === target[0] && ((IV[1] + b) | 0) === target[1] && ((IV[2] + c) | 0) === target[2]
      && ((IV[3] + d) | 0) === target[3] && ((IV[4] + e) | 0) === target[4] && ((IV[5] + f) | 0) === target[5]
      && ((IV[6] + g) | 0) === target[6] && ((IV[7] + h) | 0) === target[7];
  }

  function words(hex) {
    var out = new Int32Array(8);
    for (var i = 0; i < 8; i++) { out[i] = parseInt(hex.substr(i * 8, 8), 16) | 0; }
    return out;
  }

  // Lays out prefix + decimal digits of n + SHA-256 padding: the whole message fits one block (a 32-character salt,
  // the puzzle's index and a number of up to 9 digits).
  function layOut(prefix, n) {
    var digits = String(n), length = prefix.length + digits.length, i;
    bytes.fill(0);
    for (i = 0; i < prefix.length; i++) { bytes[i] = prefix.charCodeAt(i); }
    for (i = 0; i < digits.length; i++) { bytes[prefix.length + i] = digits.charCodeAt(i); }
    bytes[length] = 0x80;
    bytes[62] = (length * 8) >>> 8;
    bytes[63] = (length * 8) & 255;
  }

  // Finds the secret number of one puzzle (-1 if there is none up to max); calls progress(tried) every `step` tries.
  function solvePuzzle(prefix, target, max, step, progress) {
    var digitsAt = prefix.length, last = -1, n;
    layOut(prefix, 0);
    prepare(prefix.length);
    for (n = 0; n <= max; n++) {
      // Most steps change only the last digit; the layout is rewritten when the number of digits changes.
      var digits = n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : n < 1000000 ? 6 : n < 10000000 ? 7 : 8;
      if (digits !== last) {
        layOut(prefix, n);
        last = digits;
      } else {
        for (var i = digitsAt + digits - 1, m = n; i >= digitsAt; i--, m = (m / 10) | 0) { bytes[i] = 48 + (m % 10); }
      }
      if (matches(target)) { return n; }
      if ((n + 1) % step === 0) { progress(n + 1); }
    }
    return -1;
  }

  // Progress is the share of puzzles solved, the current one counted by the share of its range tried: it never goes
  // back, and it reaches 1 however lucky or unlucky the numbers were.
  self.onmessage = function (event) {
    var job = event.data, count = job.targets.length, answers = [], tries = 0;
    for (var i = 0; i < count; i++) {
      var answer = solvePuzzle(job.salt + ':' + i + ':', words(job.targets[i]), job.max, 16384, function (tried) {
        self.postMessage({ progress: (i + tried / (job.max + 1)) / count });
      });
      if (answer < 0) { self.postMessage({ failed: true }); return; }
      answers.push(answer);
      tries += answer + 1;
      self.postMessage({ progress: (i + 1) / count });
    }
    self.postMessage({ answers: answers.join(','), tries: tries });
  };
})();
