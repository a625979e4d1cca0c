// A tiny project to try claude-worker on.
function greet(name) {
  return `Hello, ${name}!`;
}

console.log(greet(process.argv[2] ?? 'world'));
