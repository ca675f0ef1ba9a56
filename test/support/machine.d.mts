export declare const IS_ROOT: boolean;
export declare const HAVE_BTF: boolean;
export declare const CAN_LOAD_PROBE: boolean;
export declare const SYSDIG: string;
export declare const HAVE_SYSDIG: boolean;
