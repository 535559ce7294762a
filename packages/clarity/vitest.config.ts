import { project } from "@electfeed/vitest-config"

export default project("clarity")
