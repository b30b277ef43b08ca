// The file system of `npx netpol`: Node's `fs`, in the shape src/wasm/host.rs calls.
//
// It behaves as the native binary's (src/bin/netpol.rs): files are read as UTF-8
// (a byte-order mark kept, invalid UTF-8 an error) except manifests, read as bytes
// so that the command line reports one that is not UTF-8 as a finding; directory
// entries report symbolic links to files as files and every other link as "other",
// `kind` follows links,
// names that are not UTF-8 are skipped. Failures are thrown as strings: "ENOENT" for
// a missing path, otherwise the reason in the words of the C library, as Rust prints
// it (`Permission denied`).

'use strict';

const fs = require('node:fs');
const tty = require('node:tty');

/** glibc's strerror texts for the errors a read or a write can meet. */
const REASONS = {
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EMFILE: 'Too many open files',
  ENFILE: 'Too many open files in system',
  EIO: 'Input/output error',
  EROFS: 'Read-only file system',
  ENOSPC: 'No space left on device',
  EEXIST: 'File exists',
  EBUSY: 'Device or resource busy',
  EINVAL: 'Invalid argument',
  EFBIG: 'File too large',
  EXDEV: 'Invalid cross-device link',
  ETXTBSY: 'Text file busy',
  ENXIO: 'No such device or address',
  ENODEV: 'No such device',
  EAGAIN: 'Resource temporarily unavailable',
};

const NOT_UTF8 = 'stream did not contain valid UTF-8';
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What to throw for a failed system call. */
function reason(error) {
  if (error && error.code === 'ENOENT') {
    return 'ENOENT';
  }
  if (error && REASONS[error.code]) {
    return REASONS[error.code];
  }
  return String((error && error.message) || error);
}

function attempt(operation) {
  try {
    return operation();
  } catch (error) {
    throw reason(error);
  }
}

function decode(bytes) {
  try {
    return utf8.decode(bytes);
  } catch {
    throw NOT_UTF8;
  }
}

/** All of standard input; waits while a non-blocking pipe has nothing yet. */
function readAllStdin() {
  const chunks = [];
  const buffer = Buffer.alloc(1 << 16);
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    let read;
    try {
      read = fs.readSync(0, buffer, 0, buffer.length, null);
    } catch (error) {
      if (error.code === 'EAGAIN') {
        Atomics.wait(pause, 0, 0, 5);
        continue;
      }
      if (error.code === 'EOF') {
        break;
      }
      throw reason(error);
    }
    if (read === 0) {
      break;
    }
    chunks.push(Buffer.from(buffer.subarray(0, read)));
  }
  return Buffer.concat(chunks);
}

function kindOf(stats) {
  if (stats.isDirectory()) {
    return 'directory';
  }
  return stats.isFile() ? 'file' : 'other';
}

/** One directory entry as `<f|d|o>/<name>`, or null for a name that is not UTF-8. */
function entry(dir, dirent) {
  let name;
  try {
    name = utf8.decode(dirent.name);
  } catch {
    return null;
  }
  let kind = 'o';
  if (dirent.isDirectory()) {
    kind = 'd';
  } else if (dirent.isFile()) {
    kind = 'f';
  } else if (dirent.isSymbolicLink()) {
    try {
      kind = fs.statSync(`${dir}/${name}`).isFile() ? 'f' : 'o';
    } catch {
      kind = 'o';
    }
  }
  return `${kind}/${name}`;
}

/** The host object src/wasm/host.rs calls. */
function nodeHost() {
  return {
    readFile: (path) => decode(attempt(() => fs.readFileSync(path))),
    readDir: (path) =>
      attempt(() => fs.readdirSync(path, { withFileTypes: true, encoding: 'buffer' }))
        .map((dirent) => entry(path, dirent))
        .filter((name) => name !== null),
    kind: (path) => kindOf(attempt(() => fs.statSync(path))),
    readStdin: () => decode(readAllStdin()),
    // Manifests are read as bytes: a file that is not UTF-8 becomes a finding.
    readFileBytes: (path) => attempt(() => fs.readFileSync(path)),
    readStdinBytes: () => readAllStdin(),
    writeFile: (path, contents) => attempt(() => fs.writeFileSync(path, contents)),
    isTerminal: (fd) => tty.isatty(fd),
    now: () => Date.now(),
  };
}

module.exports = { nodeHost, reason };
