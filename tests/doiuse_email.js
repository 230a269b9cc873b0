// Lints e-mail HTML against the caniemail data (@jsx-email/doiuse-email, installed by scripts/test
// into .tools/node_modules). Usage: node tests/doiuse_email.js MODULE_DIR FILE CLIENT_GLOB...
// Prints the library's result ({success, errors, notes}) as JSON on stdout.
"use strict";
const fs = require("fs");
const path = require("path");
const [moduleDir, file, ...clients] = process.argv.slice(2);
const { doIUseEmail } = require(path.resolve(moduleDir));
const html = fs.readFileSync(file, "utf8");
process.stdout.write(JSON.stringify(doIUseEmail(html, { emailClients: clients })));
