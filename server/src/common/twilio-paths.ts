// Where Twilio reaches CallSnare. TwiML action URLs and the SMS status
// callback are built from these and PUBLIC_BASE_URL, so they always point at
// routes that exist.
export const TWILIO_WEBHOOK_BASE = '/webhooks/twilio';

export const twilioPaths = {
  voice: '/voice',
  dialStatus: '/voice/dial-status',
  screen: '/voice/screen',
  recording: '/voice/recording',
  sms: '/sms',
  smsStatus: '/sms/status',
  sandboxMessage: '/sandbox/messages/:id',
} as const;

export function twilioWebhookUrl(publicBaseUrl: string, path: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${publicBaseUrl}${TWILIO_WEBHOOK_BASE}${path}${search ? `?${search}` : ''}`;
}
