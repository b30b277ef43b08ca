// `import { lint } from 'netpol'`: the same API as `require('netpol')`.

import api from './index.cjs';

export const { load, Workspace, lint, matrix, query, testConnectivity, diff, format, rules, version, validateAdmission, portsText } = api;
export default api;
