// Ink decides once, when it is loaded, whether it runs in CI (the `CI` variable, as `is-in-ci` reads it), and in CI it
// draws no live frame at all. A test of the frames a terminal gets imports this module before anything that loads Ink,
// so `CI=true npm test` checks the same frames a person's terminal gets.
delete process.env['CI'];
delete process.env['CONTINUOUS_INTEGRATION'];
for (const name of Object.keys(process.env).filter(name => name.startsWith('CI_'))) {
	delete process.env[name];
}
