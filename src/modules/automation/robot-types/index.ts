import type { RobotType } from '../robot-type.js';
import { addComment } from './add-comment.js';
import { changeObservers, changeResponsible, changeStage, setFields } from './deal-changes.js';
import { copyDeal } from './copy-deal.js';
import { convertLead } from './convert-lead.js';
import { notifyEmployee } from './notify.js';
import { planActivity } from './plan-activity.js';
import { sendEmail } from './send-email.js';
import { sendSms } from './send-sms.js';
import { callWebhook } from './webhook.js';

// The robot types that come with Voronka. Other modules register theirs with
// `ctx.services.automation.registry.register(...)`.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- types with different parameter schemas in one list
export const BUILT_IN_ROBOT_TYPES: RobotType<any>[] = [planActivity, addComment, notifyEmployee, changeStage, changeResponsible, setFields, changeObservers, copyDeal, sendSms, sendEmail, callWebhook, convertLead];
