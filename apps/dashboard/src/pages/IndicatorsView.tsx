import { PageTitle, Section } from '../components/common';
import { ReportingState } from '../components/Reporting';

export default function IndicatorsView() {
  return (
    <>
      <PageTitle title="Explorateur d’indicateurs">Explorateur d’indicateurs</PageTitle>
      <Section title="Indicateurs" id="explorer">
        <ReportingState />
      </Section>
    </>
  );
}
