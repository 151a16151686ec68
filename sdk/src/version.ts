/** The SDK's version, sent as `x-callsnare-sdk`; a test keeps it equal to package.json's. */
export const SDK_VERSION = '0.1.0';
