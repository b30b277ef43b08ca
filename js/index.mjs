// `import { lint } from 'netpol'`: the same API as `require('netpol')`.

import api from './index.cjs';

export const { lint, matrix, query, testConnectivity, format, rules, version } = api;
export default api;
