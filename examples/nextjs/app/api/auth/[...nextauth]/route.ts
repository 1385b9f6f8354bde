// next-auth's routes under /api/auth: the same paths the Poem service serves on its own origin.
import { handlers } from "../../../../auth";

export const { GET, POST } = handlers;
