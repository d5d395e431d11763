// QoS flows and message journeys: the table of every handshake above, the selected one drawn as a
// sequence diagram below.
import { SplitPane } from '../../ui/SplitPane';
import { DiagramPanel } from './DiagramPanel';
import { FlowsTable } from './FlowsTable';
import './flows.css';

export function FlowsView() {
  return (
    <div className="view" data-testid="view-flows">
      <SplitPane id="flows.diagram" direction="column" initial={560} sizeSecond>
        <FlowsTable />
        <DiagramPanel />
      </SplitPane>
    </div>
  );
}
