import type { AccountActionType, UndoAction } from "../../services/moderation/account-actions";

/** How the console names Mastodon's account actions. */
export const ACTION_LABELS: Record<AccountActionType, string> = {
	none: "Warn",
	sensitive: "Mark media as sensitive",
	silence: "Limit (silence)",
	suspend: "Suspend",
	disable: "Disable login",
};

export const UNDO_LABELS: Record<UndoAction, string> = {
	enable: "Enable login",
	unsensitive: "Undo sensitive",
	unsilence: "Undo limit",
	unsuspend: "Undo suspension",
};
