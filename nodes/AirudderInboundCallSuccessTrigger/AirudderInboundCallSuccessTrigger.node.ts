import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { triggerDescription } from '../Airudder/trigger/description';
import { triggerSubtitle } from '../Airudder/trigger/subtitle';
import { airudderTrigger } from '../Airudder/trigger/airudderTrigger';
import { definition } from './inboundCallSuccess.callback';

export class AirudderInboundCallSuccessTrigger extends airudderTrigger(definition) implements INodeType {
	description: INodeTypeDescription = {
		...triggerDescription(definition),
		icon: { light: 'file:../../icons/airudder.svg', dark: 'file:../../icons/airudder.dark.svg' },
		subtitle: triggerSubtitle(definition),
		credentials: [{ name: 'airudderCallbackApi', required: true, testedBy: 'airudderCallbackApiTest' }],
	};
}
