import { Tab, TabList } from '@fluentui/react-tabs';
import type { ViewTabsProps } from './view-tabs';

/** The board's views as Fluent's TabList, loaded beside the board (its styles alone are 22 KB). */
export default function FluentViewTabs({ tabs, selected, onSelect, className }: ViewTabsProps) {
  return (
    <TabList className={className} selectedValue={selected} onTabSelect={(_e, data) => onSelect(String(data.value))} aria-label="Views">
      {tabs.map((t) => (
        <Tab key={t.value} value={t.value}>
          {t.label}
        </Tab>
      ))}
    </TabList>
  );
}
