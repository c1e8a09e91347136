import { createAirudderTrigger } from '../Airudder/createAirudderTrigger';
import { definition } from './predictiveDialer.callback';

export class AirudderPredictiveDialerTrigger extends createAirudderTrigger(definition) {}
