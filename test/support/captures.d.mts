export declare const REPO: string;
export declare const CAPTURES_DIR: string;
export declare const EXPECTED_DIR: string;
export declare function capturePath(name: string): string;
export declare const HAVE_CAPTURES: boolean;
