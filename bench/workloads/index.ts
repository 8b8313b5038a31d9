/**
 * The workloads by name. Media workloads (SRTP protect/unprotect rates, RTP forwarding
 * from one sender to N receivers) join here when the stack has SRTP: a solo workload for
 * the record rates, a pair workload for forwarding.
 */
import type { Workload } from '../lib/workload.js';
import { ceiling } from './ceiling.js';
import { pingpong } from './pingpong.js';
import { scale } from './scale.js';
import { setup } from './setup.js';
import { transfer } from './transfer.js';

export const workloads: Record<string, Workload> = { setup, transfer, pingpong, ceiling, scale };
