import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './planEnded.callback';

export class AirudderPlanEndedTrigger extends createAirudderTrigger(definition) {}
