import { LabIcon } from '@jupyterlab/ui-components';
import openDataSvgstr from '../style/icons/opendata.svg';

export const openDataIcon = new LabIcon({ name: 'opendata-lab:opendata', svgstr: openDataSvgstr });
