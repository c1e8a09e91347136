// Written by `npm run registries` from the trigger folders: change those, then run it.
import { definition as chatbotBotReply } from './AirudderChatbotBotReplyTrigger/chatbotBotReply.callback';
import { definition as chatbotMessageStatus } from './AirudderChatbotMessageStatusTrigger/chatbotMessageStatus.callback';
import { definition as chatbotSessionEnded } from './AirudderChatbotSessionEndedTrigger/chatbotSessionEnded.callback';
import { definition as chatbotSessionReport } from './AirudderChatbotSessionReportTrigger/chatbotSessionReport.callback';
import { definition as chatbotTemplateSendResult } from './AirudderChatbotTemplateSendResultTrigger/chatbotTemplateSendResult.callback';
import { definition as chatbotTemplateUserResponse } from './AirudderChatbotTemplateUserResponseTrigger/chatbotTemplateUserResponse.callback';
import { definition as chatbotTransferRequested } from './AirudderChatbotTransferRequestedTrigger/chatbotTransferRequested.callback';
import { definition as chatbotUserMessageAfterTransfer } from './AirudderChatbotUserMessageAfterTransferTrigger/chatbotUserMessageAfterTransfer.callback';
import { definition as inboundCallEnded } from './AirudderInboundCallEndedTrigger/inboundCallEnded.callback';
import { definition as inboundCallSuccess } from './AirudderInboundCallSuccessTrigger/inboundCallSuccess.callback';
import { definition as inboundTransferSucceeded } from './AirudderInboundTransferSucceededTrigger/inboundTransferSucceeded.callback';
import { definition as planEnded } from './AirudderPlanEndedTrigger/planEnded.callback';
import { definition as predictiveDialer } from './AirudderPredictiveDialerTrigger/predictiveDialer.callback';
import { definition as taskCallEnded } from './AirudderTaskCallEndedTrigger/taskCallEnded.callback';
import { definition as taskEnded } from './AirudderTaskEndedTrigger/taskEnded.callback';
import { definition as workflowCallCompleted } from './AirudderWorkflowCallCompletedTrigger/workflowCallCompleted.callback';
import { definition as workflowChatbotSessionEnded } from './AirudderWorkflowChatbotSessionEndedTrigger/workflowChatbotSessionEnded.callback';
import { definition as workflowCustomApiPush } from './AirudderWorkflowCustomApiPushTrigger/workflowCustomApiPush.callback';
import { definition as workflowListCompleted } from './AirudderWorkflowListCompletedTrigger/workflowListCompleted.callback';
import { definition as workflowStatusChanged } from './AirudderWorkflowStatusChangedTrigger/workflowStatusChanged.callback';
import { definition as workflowWabaMessageStatus } from './AirudderWorkflowWabaMessageStatusTrigger/workflowWabaMessageStatus.callback';

import type { CallbackDefinition } from './Airudder/vocabulary/definition';

/**
 * Every callback definition, in the order package.json registers the triggers, for what the
 * package says about all of them at once (the credential's Replay Window names the triggers it
 * applies to).
 */
export const callbackDefinitions: CallbackDefinition[] = [
	workflowCallCompleted,
	workflowChatbotSessionEnded,
	inboundTransferSucceeded,
	inboundCallSuccess,
	workflowWabaMessageStatus,
	workflowListCompleted,
	workflowStatusChanged,
	workflowCustomApiPush,
	predictiveDialer,
	taskEnded,
	taskCallEnded,
	planEnded,
	inboundCallEnded,
	chatbotBotReply,
	chatbotTransferRequested,
	chatbotSessionEnded,
	chatbotTemplateSendResult,
	chatbotTemplateUserResponse,
	chatbotMessageStatus,
	chatbotUserMessageAfterTransfer,
	chatbotSessionReport,
];

/** The same definitions by name, for the AIRudder node's operations that give a trigger's items. */
export const callbackDefinitionNamed = {
	chatbotBotReply,
	chatbotMessageStatus,
	chatbotSessionEnded,
	chatbotSessionReport,
	chatbotTemplateSendResult,
	chatbotTemplateUserResponse,
	chatbotTransferRequested,
	chatbotUserMessageAfterTransfer,
	inboundCallEnded,
	inboundCallSuccess,
	inboundTransferSucceeded,
	planEnded,
	predictiveDialer,
	taskCallEnded,
	taskEnded,
	workflowCallCompleted,
	workflowChatbotSessionEnded,
	workflowCustomApiPush,
	workflowListCompleted,
	workflowStatusChanged,
	workflowWabaMessageStatus,
} satisfies Record<string, CallbackDefinition>;
