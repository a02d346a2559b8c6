import assert from 'node:assert/strict';
import {test} from 'node:test';
import {configPaths} from '../../source/config/paths.js';
import {EnvironmentError, exitCodes} from '../../source/errors.js';

test('paths default to ~/.config and ~/.local/state', () => {
	assert.deepEqual(configPaths({}, '/home/ada'), {
		configDir: '/home/ada/.config/lp-onboard',
		configFile: '/home/ada/.config/lp-onboard/config.json',
		credentialsFile: '/home/ada/.config/lp-onboard/credentials.json',
		stateDir: '/home/ada/.local/state/lp-onboard',
	});
});

test('paths follow XDG_CONFIG_HOME and XDG_STATE_HOME', () => {
	assert.deepEqual(configPaths({XDG_CONFIG_HOME: '/xdg/config', XDG_STATE_HOME: '/xdg/state'}, '/home/ada'), {
		configDir: '/xdg/config/lp-onboard',
		configFile: '/xdg/config/lp-onboard/config.json',
		credentialsFile: '/xdg/config/lp-onboard/credentials.json',
		stateDir: '/xdg/state/lp-onboard',
	});
});

test('empty and relative XDG values are ignored, as the spec requires', () => {
	const paths = configPaths({XDG_CONFIG_HOME: 'relative/config', XDG_STATE_HOME: ''}, '/home/ada');
	assert.equal(paths.configDir, '/home/ada/.config/lp-onboard');
	assert.equal(paths.stateDir, '/home/ada/.local/state/lp-onboard');
});

test('an empty or relative HOME is refused when a path would be made from it, with the fix', () => {
	for (const home of ['', 'relative/home']) {
		assert.throws(() => configPaths({}, home), (error: unknown) => {
			assert.ok(error instanceof EnvironmentError);
			assert.equal(error.exitCode, exitCodes.environment);
			assert.match(error.hint ?? '', /Set HOME .* or XDG_CONFIG_HOME and XDG_STATE_HOME/);
			return true;
		});
	}

	assert.throws(() => configPaths({XDG_CONFIG_HOME: '/xdg/config'}, ''), EnvironmentError);
	assert.equal(configPaths({XDG_CONFIG_HOME: '/xdg/config', XDG_STATE_HOME: '/xdg/state'}, '').stateDir, '/xdg/state/lp-onboard');
});
