/** Standard test functions for black-box optimizers, with their domains and global minima. */
export interface TestFunction {
  name: string;
  bounds: [number, number][];
  /** The global minimum value. */
  optimum: number;
  f(x: number[]): number;
}

export const branin: TestFunction = {
  name: 'Branin',
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  optimum: 0.397887357729738,
  f([x1, x2]) {
    const b = 5.1 / (4 * Math.PI * Math.PI);
    const c = 5 / Math.PI;
    const t = 1 / (8 * Math.PI);
    return (x2! - b * x1! * x1! + c * x1! - 6) ** 2 + 10 * (1 - t) * Math.cos(x1!) + 10;
  },
};

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
  [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
  [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
  [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381],
];

export const hartmann6: TestFunction = {
  name: 'Hartmann6',
  bounds: Array.from({ length: 6 }, () => [0, 1] as [number, number]),
  optimum: -3.32236801141551,
  f(x) {
    let s = 0;
    for (let i = 0; i < 4; i++) {
      let inner = 0;
      for (let j = 0; j < 6; j++) inner += H_A[i]![j]! * (x[j]! - H_P[i]![j]!) ** 2;
      s += H_ALPHA[i]! * Math.exp(-inner);
    }
    return -s;
  },
};

export const rosenbrock4: TestFunction = {
  name: 'Rosenbrock-4D',
  bounds: Array.from({ length: 4 }, () => [-5, 10] as [number, number]),
  optimum: 0,
  f(x) {
    let s = 0;
    for (let i = 0; i < 3; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
    return s;
  },
};

export const testFunctions = [branin, hartmann6, rosenbrock4];
