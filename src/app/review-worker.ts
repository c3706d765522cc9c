// A worker thread of the review pool (src/app/review-pool.ts) runs this
// module. It is a file of its own because piscina loads a worker by file
// name, and this one must stay JavaScript-loadable from dist/.
import { analyzeSeries } from "../engine/job.js";

export default analyzeSeries;
