/** Five tiny labelled vectors (three intents) that the linear models' unit tests train on. */
export const vector = (...features: string[]) => new Map(features.map((feature) => [feature, 1 / Math.sqrt(features.length)]));

export const examples = [
  { features: vector('restor', 'slow'), label: 0 },
  { features: vector('restor', 'stuck'), label: 0 },
  { features: vector('password', 'forgot'), label: 1 },
  { features: vector('password', 'reset'), label: 1 },
  { features: vector('storag', 'full'), label: 2 },
];
