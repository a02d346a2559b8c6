/** What a step returns when the user chose "← Back": `runWizard` runs the previous step again. */
export const back = Symbol('back');
export type Back = typeof back;

/** The select value of the "← Back" choice. */
export const backValue = 'back';
export const backChoice = {value: backValue, name: '← Back'} as const;
