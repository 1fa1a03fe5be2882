#!/usr/bin/env node
console.log('tend');
