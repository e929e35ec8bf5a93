// The part of fs-native-extensions (holepunchto) the warehouse lock uses; the package ships no types.
// On Linux it takes open-file-description locks (F_OFD_SETLK), on macOS flock, on Windows LockFileEx:
// the kernel releases them when the descriptor closes or the process dies, even on kill -9.
declare module 'fs-native-extensions' {
  interface LockOptions {
    /** A shared (read) lock instead of an exclusive one. */
    readonly shared?: boolean;
  }
  /** Takes the lock without waiting: false when another descriptor holds a conflicting one. */
  export function tryLock(fd: number, options?: LockOptions): boolean;
  export function unlock(fd: number): void;
}
