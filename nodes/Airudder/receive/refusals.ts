/**
 * Which check refused a callback. Only a test run shows it, on the Invalid output; a refused
 * callback to the Production URL starts nothing.
 */
export type RefusalStage = 'setup' | 'ip' | 'token' | 'signature' | 'size' | 'read' | 'replay';

/** A refusal: the sender gets this status and reason, and no production execution starts. */
export interface Refusal {
	kind: 'refused';
	status: 400 | 401 | 403 | 413;
	stage: RefusalStage;
	reason: string;
}

export const refusal = (status: Refusal['status'], stage: RefusalStage, reason: string): Refusal => ({
	kind: 'refused',
	status,
	stage,
	reason,
});

/** How to make a trigger check something: the same words wherever the package says it. */
export const THREE_FIXES =
	"Set a URL Token or a Signature in the trigger's AIRudder Callback API credential, or list AIRudder's addresses in the trigger's Allowed IP Addresses.";

/**
 * What a refused sender reads: AIRudder's logs, or a person testing by hand with curl. Each says
 * what is wrong and what to change, and never echoes a secret.
 */
export const REFUSALS = {
	checksNothing: `This trigger checks nothing yet, so its Production URL refuses every callback: anyone who found the URL could write into your workflow. ${THREE_FIXES}`,
	bodyTooLarge: 'The callback body is larger than n8n accepts (N8N_PAYLOAD_SIZE_MAX). Ask whoever runs your n8n to raise it.',
	bodyOverNodeLimit: (sizeMb: number, maxBodyMb: number) =>
		`The callback body is ${sizeMb.toFixed(1)} MB, over this trigger's limit of ${maxBodyMb} MB (Options → Max Body Size)`,
	bodyUnreadable: 'The callback body could not be read, because the connection broke off. Send the callback again.',
	allowListUnreadable: (why: string) =>
		`The trigger's Allowed IP Addresses list cannot be read (${why}), so every callback is refused. Correct the list in the trigger's settings and publish the workflow again.`,
	ipNotAllowed:
		"This IP address is not on the trigger's Allowed IP Addresses list. If the callback comes from AIRudder, add its address there, or leave the list empty to accept any address.",
	wrongToken:
		"The URL token is missing or wrong. The callback URL must end with ?token= and the URL Token of the trigger's credential.",
	unsigned: (header: string) =>
		`The ${header} header is missing, so the callback is not signed the way the credential's Signature setting requires. To test by hand, send a signed sample with the package's sample sender (npm run send-sample), or set Signature to "None" while you test.`,
	uncheckable: (why: string) =>
		`The signature cannot be checked: ${why}. Check the credential's AES Key and Signature Covers.`,
	wrongSignature:
		"The signature does not match. Check that the credential's Signature, Signing Key and Signature Covers are the ones AIRudder uses.",
	outsideReplayWindow: (windowSeconds: number) =>
		`The callback's timestamp is outside the ${windowSeconds}-second replay window. Send a fresh callback, or widen the credential's Replay Window (Seconds).`,
	/** Said on the Invalid item of a test callback that production would refuse, after checksNothing. */
	acceptedInTestRunOnly:
		'This test callback was let through because the editor was listening; the Production URL will refuse callbacks until one of these is set.',
	/** Said on the Invalid item of a refused test callback, after the reason. */
	onlyInTestRuns: (status: Refusal['status']) =>
		`n8n answered ${status} and started nothing else; this item shows only because the editor was listening for a test event. On the Production URL such a callback starts no execution.`,
} as const;
