import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

/** The list behind the AIRudder Account Time Zone option, first the workflow's own zone. */
export async function getTimeZones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return [
		{ name: 'Workflow Time Zone', value: '' },
		...Intl.supportedValuesOf('timeZone').map((zone) => ({ name: zone, value: zone })),
	];
}
