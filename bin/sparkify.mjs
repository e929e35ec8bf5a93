#!/usr/bin/env node
console.log("hi from sparkify", process.argv.slice(2));
