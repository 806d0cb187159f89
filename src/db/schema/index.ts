export * from "./accounts";
export * from "./dead-letters";
export * from "./delivery";
export * from "./federation";
export * from "./inbox";
export * from "./interactions";
export * from "./keys";
export * from "./media";
export * from "./oauth";
export * from "./polls";
export * from "./relationships";
<<<<<<< HEAD
export * from "./remote-content";
=======
export * from "./status-extras";
>>>>>>> api-statuses
export * from "./status-extras";
export * from "./statuses";
export * from "./users";
