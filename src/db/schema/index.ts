export * from "./accounts";
export * from "./dead-letters";
export * from "./keys";
export * from "./oauth";
export * from "./users";
