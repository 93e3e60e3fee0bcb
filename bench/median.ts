/** The middle value (the upper middle for an even count): robust to one slow run on a shared VM. */
export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
