export declare const CHROMIUM: string;
export declare const HAVE_CHROMIUM: boolean;
export declare const CHROMIUM_LAUNCH: { executablePath: string; args: string[] };
